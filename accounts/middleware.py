"""With TWO_FACTOR_REQUIRED, a session signed in without the second factor is ended.

Our own sign-in never makes one (accounts.views signs in only after the code); this is the backstop for
any other way a session could come to hold a user (another login view, a future integration).
Needs django_otp.middleware.OTPMiddleware before it (request.user.is_verified).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if settings.TWO_FACTOR_REQUIRED and user.is_authenticated and not user.is_verified():
            logout(request)
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
