"""Files handed over to donors and partners: tables written as CSV or XLSX."""
