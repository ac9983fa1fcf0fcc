# Production image: gunicorn serves the portal, whitenoise its static files.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 wijkhubs
WORKDIR /app
COPY requirements.lock .
RUN pip install -r requirements.lock
COPY . .
# collectstatic needs settings that import; the real SECRET_KEY comes at run time.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && SECRET_KEY=build-only python manage.py compilemessages --ignore '.venv/*' \
    && mkdir -p /app/var/media \
    && chown -R wijkhubs /app/var
USER wijkhubs
EXPOSE 8000
CMD ["gunicorn", "wijkhubs.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
