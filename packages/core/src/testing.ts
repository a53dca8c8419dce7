export {
  type DriverContractFixture,
  type DriverContractOptions,
  runQueueDriverContract,
} from "./testing/driver-contract.js";
