import factory

from accounts.models import User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def mfa_device(user):
    """A confirmed authenticator app for the user (as if they had set it up)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def mfa_code(device) -> str:
    """A code the device will take now: the current one, or the next time step's (within the one step
    of tolerance) when the current one was already used (a code is taken only once)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    now_t = int(time.time() - device.t0) // device.step
    t = max(now_t, device.last_t + 1)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = device.t0 + t * device.step
    return f"{totp.token():0{device.digits}d}"
