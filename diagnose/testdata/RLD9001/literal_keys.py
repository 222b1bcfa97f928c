import autogen
from openai import OpenAI

os_key = "unused"
config_list = [
    {
        "model": "gpt-4",
        "api_key": "sk-proj-Ab3dEf9hIjKlMn0pQrStUvWx1234567890abcd",  # want RLD9001 "api_key is a hard-coded key \(sk-proj-…abcd\)"
    }
]
OPENAI_API_KEY = "sk-Zx81kLmq0PpR4tUvWq9sNb3cDe7fGh2iJk5lMn6o"  # want RLD9001 "OPENAI_API_KEY is a hard-coded key"
client = OpenAI(api_key=OPENAI_API_KEY)
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
