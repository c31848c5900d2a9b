// GP module — see DESIGN.md
