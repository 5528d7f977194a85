// Prisma 7 reads the connection from here, not from schema.prisma. `prisma generate` needs no URL;
// `prisma migrate deploy` (on machines that can fetch the native engine) reads DATABASE_URL.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "../../prisma/schema.prisma",
  migrations: { path: "../../prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/vigil" },
});
