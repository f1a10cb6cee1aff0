"""Shared primitives of the domain: money, dates, findings (Issue) and the error hierarchy."""

from openrcm.core.errors import DataFileError, OpenRCMError
from openrcm.core.issue import Issue, Location, Severity
from openrcm.core.money import to_money

__all__ = ["DataFileError", "Issue", "Location", "OpenRCMError", "Severity", "to_money"]
