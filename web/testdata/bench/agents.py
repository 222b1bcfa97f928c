import os
import time
import autogen
from autogen import AssistantAgent, UserProxyAgent, GroupChat, GroupChatManager

config_list = autogen.config_list_from_json(
    "OAI_CONFIG_LIST",
    filter_dict={"model": ["gpt-4o-mini"]},
)

llm_config = {
    "config_list": config_list,
    "temperature": 0.2,
    "timeout": 120,
    "cache_seed": None,
}


def search_web(query: str) -> str:
    """Search the web and return the raw page text."""
    import requests
    response = requests.get("https://example.com/search", params={"q": query}, timeout=30)
    return response.text


def read_file(path: str) -> str:
    """Return the whole file."""
    with open(path) as f:
        return f.read()


def fetch_prices(symbols: list[str]) -> str:
    """Return the latest prices for the given ticker symbols as a table."""
    import requests
    rows = []
    for symbol in symbols:
        data = requests.get(f"https://example.com/prices/{symbol}", timeout=30).json()
        rows.append(f"{symbol}: {data['price']} ({data['change']}%)")
    return "\n".join(rows)


def summarise(text: str, limit: int = 2000) -> str:
    """Shorten a long text to at most limit characters."""
    if len(text) <= limit:
        return text
    return text[:limit] + "..."


planner = AssistantAgent(
    name="planner",
    system_message="You plan the research. Break the task into steps and hand them to the researcher.",
    llm_config=llm_config,
)

researcher = AssistantAgent(
    name="researcher",
    system_message="You research each step with the tools and report what you found.",
    llm_config=llm_config,
)

writer = AssistantAgent(
    name="writer",
    system_message="You write the final report from the research notes. Reply TERMINATE when done.",
    llm_config=llm_config,
)

critic = AssistantAgent(
    name="critic",
    system_message="You review the report and ask for changes until it is good.",
    llm_config=llm_config,
)

user_proxy = UserProxyAgent(
    name="user_proxy",
    human_input_mode="NEVER",
    max_consecutive_auto_reply=50,
    code_execution_config={"work_dir": "workspace", "use_docker": False},
)

for agent in (researcher,):
    autogen.register_function(
        search_web,
        caller=agent,
        executor=user_proxy,
        description="Search the web.",
    )
    autogen.register_function(
        read_file,
        caller=agent,
        executor=user_proxy,
        description="Read a local file.",
    )

groupchat = GroupChat(
    agents=[user_proxy, planner, researcher, writer, critic],
    messages=[],
    max_round=60,
    speaker_selection_method="auto",
)
manager = GroupChatManager(groupchat=groupchat, llm_config=llm_config)

TASKS = [
    "Compare the rate limits of the main LLM providers for a small team.",
    "Summarise the last month of papers on multi-agent planning.",
]

for task in TASKS:
    while True:
        try:
            user_proxy.initiate_chat(manager, message=task)
            break
        except Exception as err:
            print("failed, retrying:", err)
            time.sleep(1)
