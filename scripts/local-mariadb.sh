#!/usr/bin/env bash
# Makes sure a local MariaDB answers on 127.0.0.1:3306 with the user app/app (the defaults of
# .env.example), installing and starting it on Debian/Ubuntu when needed. Idempotent.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  echo "Installing MariaDB server (apt-get)..."
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq mariadb-server >/dev/null
fi

if ! $SUDO mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1; then
  echo "Starting MariaDB..."
  $SUDO install -d -o mysql -g adm -m 2750 /var/log/mysql
  $SUDO install -d -o mysql /run/mysqld
  $SUDO start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- \
    --user=mysql --log-error=/var/log/mysql/error.log
  for _ in $(seq 1 150); do
    if $SUDO mariadb -uroot -e 'SELECT 1' >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
fi

$SUDO mariadb -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY 'app';
CREATE USER IF NOT EXISTS 'app'@'localhost' IDENTIFIED BY 'app';
GRANT ALL ON *.* TO 'app'@'%';
GRANT ALL ON *.* TO 'app'@'localhost';
CREATE DATABASE IF NOT EXISTS ecommerce CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
SQL
echo "MariaDB is up on 127.0.0.1:3306 (user app, password app, database ecommerce)."
