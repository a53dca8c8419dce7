/**
 * The longest error text that travels with a dead-lettered message (`glasswork.dlq.error`), in
 * UTF-16 code units, an ellipsis included. One cap for the worker, which writes the text, and the
 * drivers, which store it.
 */
export const DEAD_LETTER_ERROR_MAX_LENGTH = 1_024;
