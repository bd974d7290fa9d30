export * from "./users";
export * from "./customers";
export * from "./catalog";
export * from "./subscriptions";
export * from "./invoices";
export * from "./payments";
export * from "./clocks";
export * from "./platform";
