"""A double-entry ledger of immutable journal entries (charges, payments, adjustments, transfers).

Balances and aging are derived from entries; an entry is never edited, a correction is a new entry.
"""

from openrcm.ledger.model import Account, JournalEntry, Posting, UnbalancedEntryError

__all__ = ["Account", "JournalEntry", "Posting", "UnbalancedEntryError"]
