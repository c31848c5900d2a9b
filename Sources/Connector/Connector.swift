// Connector module — see DESIGN.md
