"""Printing for the village bulletin board (公开栏): PDFs by WeasyPrint, with QR codes and charts."""
