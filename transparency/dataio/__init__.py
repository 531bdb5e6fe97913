"""Data in and out: spreadsheet uploads and templates, downloads, bulk import and export."""
