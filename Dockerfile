# The ITA portal as a container: gunicorn serving the app, whitenoise serving static files and fonts.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=False
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.txt && npm ci --no-audit --no-fund --loglevel=error
COPY . .
# collectstatic needs settings but no database or real secret.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret python manage.py collectstatic --noinput -v0

RUN useradd --system --home /app ita && mkdir -p /app/media && chown ita /app/media
USER ita
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_catalogue && exec gunicorn ita_portal.wsgi --bind 0.0.0.0:8000 --workers 3 --timeout 120 --access-logfile -"]
