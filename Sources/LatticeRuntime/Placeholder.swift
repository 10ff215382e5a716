/// Placeholder until the runtime issue lands.
