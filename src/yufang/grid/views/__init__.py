"""The grid module's pages (officials' coverage and county work; a grid worker's record)."""
