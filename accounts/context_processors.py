def roles(request):
    """Expose the user's Access object to templates as ``access``."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"access": None}
    return {"access": user.access}
