"""FHIR R4 (read and written with the fhir.resources R4B models)."""
