"""Getting claims to payers and their answers back: transports, and a sandbox payer to test against."""
