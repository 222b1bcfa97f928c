import os
from autogen import AssistantAgent, UserProxyAgent

KEYS = {
    "openai": os.environ["OPENAI_API_KEY"],
    "groq": os.getenv("GROQ_API_KEY"),
}


def config_for(provider, model):
    entry = {"model": model, "api_key": KEYS[provider]}
    if provider == "groq":
        entry["api_type"] = "groq"
    return {"config_list": [entry], "cache_seed": 42}


writer = AssistantAgent("writer", llm_config=config_for("openai", "gpt-4o-mini"))
critic = AssistantAgent("critic", llm_config=config_for("groq", "llama-3.1-8b-instant"))
user = UserProxyAgent("user", human_input_mode="NEVER", code_execution_config=False, max_consecutive_auto_reply=3)

draft = user.initiate_chat(writer, message="Draft a 100-word product blurb for a smart kettle.", max_turns=1)
user.initiate_chat(critic, message=draft.summary, max_turns=1)
