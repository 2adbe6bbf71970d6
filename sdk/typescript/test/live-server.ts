// One live `paliapi serve` for every test (scripts/live_server.py): real HTTP, real database.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

const root = fileURLToPath(new URL("../../../", import.meta.url));
let server: ChildProcess | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    paliapi: { url: string; token: string };
  }
}

export async function setup(project: TestProject): Promise<void> {
  if (process.env.PALIAPI_URL && process.env.PALIAPI_TOKEN) {
    project.provide("paliapi", { url: process.env.PALIAPI_URL, token: process.env.PALIAPI_TOKEN });
    return;
  }
  const python = process.env.PALIAPI_PYTHON ?? `${root}.venv/bin/python`;
  server = spawn(python, ["scripts/live_server.py"], { cwd: root, stdio: ["pipe", "pipe", "inherit"] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server!.stdout! }).once("line", resolve);
    server!.once("exit", (code) => reject(new Error(`live server exited with ${code}`)));
  });
  project.provide("paliapi", JSON.parse(line) as { url: string; token: string });
}

export async function teardown(): Promise<void> {
  if (!server) return;
  const exited = new Promise((resolve) => server!.once("exit", resolve));
  server.stdin!.end();
  await exited;
}
