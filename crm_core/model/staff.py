"""Staff accounts of the console and API, with the scope each role sees."""

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_core.model.base import Base, str_enum, utcnow
from crm_core.model.org import Branch, Manager, ManagerRole


class StaffRole(enum.StrEnum):
    """What part of the bank a staff member sees."""

    MANAGER = "manager"          # their own customers and leads
    BRANCH_HEAD = "branch_head"  # their branch
    HEAD_OFFICE = "head_office"  # everything
    SERVICE = "service"          # 在线客服: the online service queue of a branch (or all)


class OutOfScope(PermissionError):
    """The record exists but lies outside what this account may see."""


@dataclass(frozen=True)
class Scope:
    """Who is asking, and therefore which customers, leads and branches they see."""

    staff_id: int
    username: str
    display_name: str
    role: StaffRole
    manager_id: int | None
    branch_id: int | None
    # A head-office account on a business line (双线管理: 财富条线) reads that line's managers
    # across branches in scorecards and their registers, and no one else's figures.
    line: ManagerRole | None = None

    @property
    def sees_phone_numbers(self) -> bool:
        """Managers call their own customers; everyone else sees masked numbers."""
        return self.role is StaffRole.MANAGER


class StaffAccount(Base):
    """A person who logs in to the console (password) or calls the API (tokens)."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[StaffRole] = mapped_column(str_enum(StaffRole))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("managers.id"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id"))
    # Head office only: the business line the account manages (None: the whole bank).
    line: Mapped[ManagerRole | None] = mapped_column(str_enum(ManagerRole))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Written into each console session at login and compared on every request: raising it
    # ends every session of the account (logout, new password, deactivation).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    manager: Mapped[Manager | None] = relationship()
    branch: Mapped[Branch | None] = relationship()


class ApiToken(Base):
    """A bearer token for the JSON API; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    staff: Mapped[StaffAccount] = relationship()


class LoginCounter(Base):
    """Login attempts counted against one key (an account or a client address) in a fixed
    window that starts with the first attempt: attempts while over the limit never move the
    window, so a lock ends when its window does however often it is hammered meanwhile."""

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    attempts: Mapped[int]
