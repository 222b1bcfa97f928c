import os
from autogen import AssistantAgent, UserProxyAgent

def is_done(message):
    content = message.get("content") or ""
    return "TERMINATE" in content.upper()

llm_config = {
    "config_list": [{"model": "gpt-4o-mini", "api_key": os.environ["OPENAI_API_KEY"]}],
    "cache_seed": 7,
}

common_kwargs = dict(
    human_input_mode="NEVER",
    max_consecutive_auto_reply=6,
    is_termination_msg=is_done,
)

chatbot = AssistantAgent(
    name="chatbot",
    system_message="For coding tasks, only use the functions you have been provided with. Reply TERMINATE when the task is done.",
    llm_config=llm_config,
    **common_kwargs,
)

user_proxy = UserProxyAgent(
    name="user_proxy",
    code_execution_config={"work_dir": "coding", "use_docker": False},
    **common_kwargs,
)

user_proxy.initiate_chat(chatbot, message="What is the capital of France?")
