export * from "./client.js";
export * from "./errors.js";
export * from "./vectors.js";
/** The generated operations (`*Document`, typed for `PaliAPI.request`) and schema types. */
export * as graphql from "./generated/graphql.js";
