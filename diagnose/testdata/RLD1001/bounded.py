import os

from autogen import AssistantAgent, UserProxyAgent

llm_config = {"config_list": [{"model": "gpt-4o", "api_key": os.environ["OPENAI_API_KEY"]}]}

assistant = AssistantAgent("assistant", llm_config=llm_config)
user_proxy = UserProxyAgent(
    "user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=10,
    is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""),
    code_execution_config={"work_dir": "coding", "use_docker": False},
)
user_proxy.initiate_chat(assistant, message="Write a haiku about rate limits.")

# A human in the loop bounds this one: UserProxyAgent defaults to ALWAYS.
reviewer = UserProxyAgent("reviewer")
reviewer.initiate_chat(assistant, message="Review the haiku.")

# max_turns bounds the chat whatever the agents say.
critic = AssistantAgent("critic", llm_config=llm_config)
critic.initiate_chat(assistant, message="Argue about the haiku.", max_turns=4)
