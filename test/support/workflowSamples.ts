// Small workflow sources shared by the language-server tests (plain Node) and the language
// helper's extension-host tests, so both check the same sites.

/** A CodeWords service that fetches a page and acts on it: a change-detection site. */
export const monitorPy = [
  'import httpx',
  'from codewords_client import logger, run_service',
  'from fastapi import FastAPI',
  '',
  'app = FastAPI()',
  '',
  '',
  '@app.post("/")',
  'async def check_page(url: str, slack_webhook_url: str) -> dict:',
  '    async with httpx.AsyncClient(timeout=20) as client:',
  '        response = await client.get(url)',
  '    text = response.text',
  '    if "price" in text:',
  '        async with httpx.AsyncClient(timeout=10) as client:',
  '            await client.post(slack_webhook_url, json={"text": text[:200]})',
  '    return {"checked": url}',
  '',
  '',
  'if __name__ == "__main__":',
  '    run_service(app)',
  '',
].join('\n');
/** 0-based line of the fetch the lens sits above. */
export const FETCH_LINE = 10;

/** A memory write with no expiry: a write-without-expiry finding. */
export const noExpiryPy = [
  'from codewords_client import redis_client',
  '',
  '',
  'async def remember_digest(url: str, digest: str) -> None:',
  '    async with redis_client() as (redis, ns):',
  '        await redis.set(f"{ns}:monitor:{url}:last", digest)',
  '',
].join('\n');
