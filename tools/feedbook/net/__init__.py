"""The network: one HTTP client for every fetch, and the rule of which addresses it may reach."""
