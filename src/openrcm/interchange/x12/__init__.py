"""ASC X12 5010 (and legacy 4010 reading): syntax, envelopes, 837P/837I writers and readers."""
