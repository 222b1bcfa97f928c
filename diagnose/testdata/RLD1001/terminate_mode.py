from autogen import AssistantAgent, ConversableAgent, UserProxyAgent, config_list_from_json

config_list = config_list_from_json(env_or_file="OAI_CONFIG_LIST")
assistant = AssistantAgent("assistant", llm_config={"config_list": config_list})

# TERMINATE mode asks a person when the chat would end: a note, not an alarm.
user_proxy = UserProxyAgent(  # want RLD1001 "user_proxy \(human_input_mode=\"TERMINATE\", no max_consecutive_auto_reply \(default 100\)\) and assistant"
    "user_proxy",
    human_input_mode="TERMINATE",
    code_execution_config={"work_dir": "coding", "use_docker": False},
)
user_proxy.initiate_chat(assistant, message="Plot a chart of META and TESLA stock price change YTD.")

# TERMINATE mode with a cap and an endswith check: nothing to say.
reviewer = UserProxyAgent(
    "reviewer",
    human_input_mode="TERMINATE",
    max_consecutive_auto_reply=10,
    is_termination_msg=lambda x: x.get("content", "").rstrip().endswith("TERMINATE"),
)
reviewer.initiate_chat(assistant, message="Review the chart code.")

# The cap on the replying agent bounds the chat even when the sender has none.
cathy = ConversableAgent("cathy", llm_config={"config_list": config_list}, human_input_mode="NEVER", max_consecutive_auto_reply=4)
joe = ConversableAgent("joe", llm_config={"config_list": config_list}, human_input_mode="NEVER")
joe.initiate_chat(cathy, message="Tell me a joke.")
