import autogen

config_list = autogen.config_list_from_json(env_or_file="OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 41}

writer = autogen.AssistantAgent(
    name="Writer",
    llm_config=llm_config,
    system_message="You are a professional writer. Polish the writing based on feedback.",
)
critic = autogen.AssistantAgent(
    name="Critic",
    llm_config=llm_config,
    system_message="You are a critic. Give feedback on the writing.",
)
reviewer = autogen.AssistantAgent("SEO_Reviewer", llm_config=llm_config,
    system_message="You are an SEO reviewer. Give concise suggestions.")

user_proxy = autogen.UserProxyAgent(
    name="User",
    human_input_mode="NEVER",
    is_termination_msg=lambda x: x.get("content", "").find("TERMINATE") >= 0,
    code_execution_config={"last_n_messages": 1, "work_dir": "tasks", "use_docker": False},
)

review_chats = [
    {"recipient": reviewer, "summary_method": "reflection_with_llm", "max_turns": 1},
]
critic.register_nested_chats(review_chats, trigger=writer)

res = user_proxy.initiate_chat(
    recipient=writer,
    message="Write a concise but engaging blogpost about DeepLearning.AI.",
    max_turns=2,
    summary_method="last_msg",
)
