// Placeholder until the example app lands.
console.log("The example app is not built yet: run `pnpm test` to see the packages at work.");
