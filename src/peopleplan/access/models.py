"""Users and the roles granted to them, each scoped to a unit subtree or the whole council."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q

from peopleplan.org.models import Person, Unit


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        """`peopleplan createsuperuser`: a user with a council-wide system administrator role,
        granted through the access services so that it is in the audit log."""
        from peopleplan.access.services import role_grant

        user = self.create_user(email, password, **fields)
        role_grant(user=user, role=RoleGrant.Role.SYSTEM_ADMIN, unit=None)
        return user


class User(AbstractBaseUser):
    """Someone who logs in. Most users are a member of staff (`person`); some are not
    (a system administrator from IT, an external learner)."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.person_id and self.person:
            return self.person.full_name
        return self.full_name or self.email

    # The Django admin asks these; the answers come from the access gates.
    @property
    def is_staff(self) -> bool:
        from peopleplan.access.gates import is_system_admin

        return is_system_admin(self)

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_active and self.is_staff

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_staff


class RoleGrant(models.Model):
    """A role given to a user over a unit and everything under it, or the whole council."""

    class Role(models.TextChoices):
        LD_ADMIN = "ld_admin", "L&D administrator"
        HR_OFFICER = "hr_officer", "HR officer"
        HR_EQUALITY = "hr_equality", "HR equality viewer"
        BUDGET_HOLDER = "budget_holder", "Budget holder"
        SENIOR_LEADER = "senior_leader", "Senior leader"
        SYSTEM_ADMIN = "system_admin", "System administrator"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the whole council",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(revoked_at__isnull=True),
                name="access_rolegrant_one_active",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True, unit__isnull=True),
                name="access_rolegrant_one_active_council_wide",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit_id and self.unit else "the whole council"
        return f"{self.get_role_display()} for {where}"
