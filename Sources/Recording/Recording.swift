// The Recording module: see ARCHITECTURE.md.
