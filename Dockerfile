# syntax=docker/dockerfile:1
# Production image for Compact Portal: one image for web (gunicorn), worker and beat (Celery).
# docker-compose.yml runs it; see docs/decisions/0003-embedded-mode.md.

# --- Stage 1: front-end assets (GOV.UK Frontend compiled with sass) into static/build/ ---
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
COPY static/ static/
RUN node scripts/build-assets.mjs

# --- Stage 2: the Python application ---
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=compact_portal.settings.production \
    PORTAL_VAR_DIR=/app/var \
    PORTAL_MEDIA_ROOT=/srv/compact/media

# What WeasyPrint needs at run time on Debian when installed from wheels (its "First Steps"
# install notes): Pango and PangoFT2 (which bring GLib, fontconfig, FreeType), HarfBuzz and its
# subsetter for embedding font subsets, and at least one font family for the PDFs.
# postgresql-client (15 on bookworm, like the postgres:15 service) has pg_dump and pg_restore for
# scripts/backup.sh and scripts/restore.sh (docker-compose.yml's backup service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        libfontconfig1 \
        fonts-dejavu-core \
        fonts-liberation \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 compact \
    && useradd --system --uid 1000 --gid compact --home-dir /app --no-create-home --shell /usr/sbin/nologin compact

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
COPY --from=assets /src/static/build/ static/build/

# The Welsh (and any other) translation catalogues, compiled to .mo with polib (.mo files are not in git).
RUN python scripts/compile_messages.py

# Static files are collected into the image (served by WhiteNoise). Production settings refuse
# to load without a secret key and host names, so this one command gets throw-away values:
# a random key made on the spot, never written to the image's environment or history.
RUN DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/mail /srv/compact/media /srv/compact/backups /var/lib/compact \
    && chown -R compact:compact /app/var/mail /srv/compact/media /srv/compact/backups /var/lib/compact

USER compact:compact
EXPOSE 8000

# Health checks live in docker-compose.yml (docker/healthcheck.py for the web service).
CMD ["gunicorn", "--config", "docker/gunicorn.conf.py", "compact_portal.wsgi:application"]
