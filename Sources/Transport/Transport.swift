// The Transport module: see ARCHITECTURE.md.
