# hubops for production: gunicorn serving Django (static files through whitenoise). The same
# image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HUBOPS_DATA_DIR=/data/var \
    HUBOPS_MEDIA_ROOT=/data/media

# WeasyPrint needs Pango and HarfBuzz's subsetter; the print stylesheet uses the DejaVu fonts.
# The backups dump and restore PostgreSQL with pg_dump/pg_restore (bookworm's client is 15, the
# version of the compose file's postgres image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system hubops \
    && useradd --system --gid hubops --home-dir /app --shell /usr/sbin/nologin hubops \
    && mkdir -p /app /data/var /data/media /data/backups \
    && chown -R hubops:hubops /app /data

WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY --chown=hubops:hubops . .
# collectstatic needs settings that load with DEBUG off; this key exists only in this layer.
RUN DEBUG=false SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput \
    && chown -R hubops:hubops /app/staticfiles /data

USER hubops
EXPOSE 8000
CMD ["gunicorn", "hubops.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
