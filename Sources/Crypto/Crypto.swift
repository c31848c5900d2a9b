// Crypto module — see DESIGN.md
