"""The annual 31.3 packages per provider and the county summary: HTML, PDF and XLSX."""
