import os

import uvicorn
from autogen import AssistantAgent, UserProxyAgent
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()

LLM_CONFIG = {
    "config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"], "max_retries": 3}],
    "cache_seed": 42,
    "timeout": 60,
}


class Ask(BaseModel):
    question: str


@app.post("/ask")
def ask(body: Ask):
    assistant = AssistantAgent("assistant", llm_config=LLM_CONFIG)
    user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False)
    result = user.initiate_chat(assistant, message=body.question, max_turns=2, silent=True)
    return {"answer": result.summary}


if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000)
