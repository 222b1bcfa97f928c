import os

import autogen
from autogen_ext.models.openai import OpenAIChatCompletionClient

config_list = [
    {"model": "gpt-4", "api_key": os.environ["OPENAI_API_KEY"]},
    {"model": "llama3", "base_url": "http://localhost:11434/v1", "api_key": "ollama"},
    {"model": "local", "base_url": "http://localhost:1234/v1", "api_key": "sk-no-key-required"},
    {"model": "gpt-4o", "api_key": "sk-..."},
    {"model": "gpt-4o", "api_key": "YOUR_OPENAI_API_KEY"},
]
client = OpenAIChatCompletionClient(model="gpt-4o", api_key=os.getenv("OPENAI_API_KEY"))
session_id = "3f2b8c1e9d4a4b7f8e6c5d4b3a2f1e0d"
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list, "cache_seed": 42})
