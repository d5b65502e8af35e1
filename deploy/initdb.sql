-- One database per service on the shared PostgreSQL.
CREATE DATABASE auth;
CREATE DATABASE emotion;
