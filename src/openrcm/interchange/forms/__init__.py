"""Printed forms: the CMS-1500 claim form, patient statements and appeal letters (PDF, reportlab)."""
