import autogen

config_list = [
    {"model": "gpt-4o-mini", "api_key": "sk-placeholder", "api_rate_limit": 60},  # want RLD5001 "api_rate_limit=60 is requests per second \(3600 a minute\)"
]
assistant = autogen.AssistantAgent("assistant", llm_config={"config_list": config_list})
