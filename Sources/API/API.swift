// API module — see DESIGN.md
