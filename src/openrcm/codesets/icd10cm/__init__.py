"""ICD-10-CM: the Tabular List, the Alphabetic Index and its tables, by release."""
