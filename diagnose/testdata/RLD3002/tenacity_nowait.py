from openai import OpenAI
from tenacity import retry, stop_after_attempt

client = OpenAI(max_retries=0)


@retry(stop=stop_after_attempt(8))  # want RLD3002 "tenacity @retry on line 7 .* has no wait"
def complete(prompt):
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
