"""Printing for the village notice board (公开栏): PDFs by WeasyPrint, with QR codes and charts."""
