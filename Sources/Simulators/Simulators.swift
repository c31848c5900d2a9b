// Simulators module — see DESIGN.md
