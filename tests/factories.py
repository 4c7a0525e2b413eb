"""Factories shared by every app's tests. App-specific ones live in tests/<app>/factories.py."""

import factory

from emulation_portal.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    role = Role.VIEWER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "pw-Secret-123")
        if create:
            obj.save(update_fields=["password"])

    @factory.lazy_attribute
    def is_staff(self):
        return self.role in (Role.ADMIN, Role.OFFICE)

    @factory.lazy_attribute
    def is_superuser(self):
        return self.role == Role.ADMIN
