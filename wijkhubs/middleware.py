class DutchUnlessChosenMiddleware:
    """The portal speaks Dutch unless the visitor chose English with the language
    switch (a cookie). A browser's Accept-Language alone does not switch it: a Dutch
    municipal site is Dutch by default, and staff share tablets whose browsers may
    be set to English. Must run before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
