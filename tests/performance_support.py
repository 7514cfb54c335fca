"""A small network for the scorecard tests: the organisation market's managers, a hasher,
and month extracts written as staff's CSV files."""

from datetime import date, datetime

from bot.extracts import FileKeys
from bot.phone_cipher import PhoneCipher
from crm_core import services
from crm_core.services.performance import BookFile, import_book
from crm_core.unit_of_work import SqlUnitOfWork
from tests.conftest import WEB_SECRET

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)
KEYS = FileKeys(PhoneCipher(WEB_SECRET))
HEADER = "客户号,客户经理,类型,月日均余额,客户利率,FTP利率,产品,中间业务收入,逾期金额,不良金额\n"
# A wealth manager's two deposits and a fee; a retail manager's loan with an overdue amount.
BOOK = HEADER + """10000001,SH001-W1,存款,1000000,1.5,2.5,,,,
10000002,SH001-W1,存款,360000,0.3,2.3,,,,
10000001,SH001-W1,中收,,,,基金,1200,,
10000003,SH001-01,贷款,1200000,4.2,2.7,,,10000,
"""


def book_file(text: str, name: str = "book.csv") -> BookFile:
    """Read a CSV text as the channel would."""
    return BookFile(name, "0" * 64, services.read_rows(text, "csv", "book"))


def import_text(uow: SqlUnitOfWork, month: date, text: str, now: datetime) -> int:
    """Import a month's extract from CSV text."""
    return import_book(uow, month, book_file(text), KEYS, "head", now)
