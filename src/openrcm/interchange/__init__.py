"""Wire formats only: X12, FHIR and printed forms, in and out of the domain records."""
